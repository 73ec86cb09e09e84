"""Reading and trusting the audit trail: the auditors' and administrators' view of it (API,
portal page, xlsx), and the keyed hash chain that shows no entry was altered, removed or slipped
in afterwards. The trail itself is written by every feature through exchange.core.audit."""
