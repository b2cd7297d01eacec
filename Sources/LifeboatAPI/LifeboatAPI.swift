// The LifeboatAPI module; see ../shared/docs/architecture.md §2 for what it owns.
