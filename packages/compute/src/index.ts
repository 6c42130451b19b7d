// Not implemented yet: see this package's README for the issue that tracks it.
export {}
