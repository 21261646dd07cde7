"""Working calendars: working hours and holidays per government."""
