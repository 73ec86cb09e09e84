"""Employment spells (就业记录): who worked for which employer in the receiving region, when.
Authored by the receiving region only; retention and indicators are computed from them."""
