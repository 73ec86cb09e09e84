"""In-app notifications and tasks: reminders of overdue follow-ups and cases, and tasks such as
"update this person's employment". Sent through channels; the in-app channel is the one built
in, and another (SMS, e-mail) is one more class registered with `channel`."""
