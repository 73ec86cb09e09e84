"""Round 1: seeker lists (求职清单) and the supply lists (岗位供给清单) that answer them."""
