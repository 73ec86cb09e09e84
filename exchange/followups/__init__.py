"""The liaison station (劳务工作联络站): follow-up logs, their schedule and the worklist, cases that
need the receiving county, early warning, reminders, and the sending county's named lists."""
