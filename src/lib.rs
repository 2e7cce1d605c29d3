//! mailsift: reads Postfix and Exim logs, pulls out every SMTP reply code and enhanced status
//! code, and explains what each one means and how to fix it.
//!
//! The library holds the whole pipeline (inputs, line splitting, parsers, aggregation, knowledge
//! base, renderers) so that the binary, the tests and the benchmarks all run the same code.

pub mod codes;
pub mod event;
pub mod generate;
pub mod input;
pub mod kb;
pub mod parse;
pub mod render;
pub mod time;
