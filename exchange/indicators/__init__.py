"""The indicators the counties are judged on (rules.md, "Indicators"), against the targets of the
pairing file and the same date last year, with the money by kind; the dashboard that shows them."""
