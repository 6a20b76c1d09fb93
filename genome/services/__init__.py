"""Use cases of the genome: Meta connections, the sync, attribution, the simulated market."""
