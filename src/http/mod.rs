//! http (to be written)
