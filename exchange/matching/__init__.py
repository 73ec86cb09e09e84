"""The matching engine (round 2), pure: no Flask, no session. Given seekers and postings as plain
data it finds the allowed pairs, solves the assignment the policy asks for, and explains every
match and every seeker left unmatched. exchange.placements.proposals feeds it from the database."""
