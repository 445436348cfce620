"""Repository-only tooling (not shipped with the package): benchmarks, the soak test, calibration, screenshots."""
