"""Break@work (guide 000): the periods of leave taken and still available, and the indicative allowance."""
