"""The compiled (numba) free-flight engine: force kernels, the step loop, its tables and the hand-over from simulate()."""
