"""Pure rules of the data collection (no Django): what a worksheet row must satisfy."""
