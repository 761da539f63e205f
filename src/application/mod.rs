//! application (to be written)
