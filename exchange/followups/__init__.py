"""The liaison station (劳务工作联络站): follow-up logs, the schedule and worklist, cases that need
the receiving county, early warning, reminders, and the counties' indicators."""
