"""Reading and trusting the audit trail: the auditors' and administrators' view of it (API,
portal page, xlsx), and the keyed hash chain that shows no sealed entry was altered or removed,
nor one slipped in between sealed entries. The trail itself is written by every feature through exchange.core.audit."""
