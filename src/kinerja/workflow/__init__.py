"""SOPs as executable data: definitions, running instances, tasks and their events."""
