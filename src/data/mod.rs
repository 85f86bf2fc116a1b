//! Reading data files with polars and turning them into the plain inputs `analysis` takes.

pub mod aggregate;
