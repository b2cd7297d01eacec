// The LifeboatObjectStore module; see ../shared/docs/architecture.md §2 for what it owns.
