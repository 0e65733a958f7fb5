"""Which dataset index sits at each position of an epoch (mirrors src/data: the keyed permutation and the samplers)."""
