//! mailsift: reads Postfix and Exim logs, pulls out every SMTP reply code and enhanced status
//! code, and explains what each one means and how to fix it.
//!
//! The library holds the whole pipeline (inputs, line splitting, parsers, aggregation, knowledge
//! base, renderers) so that the binary, the tests and the benchmarks all run the same code.

pub mod aggregate;
pub mod app;
pub mod cli;
pub mod codes;
pub mod config;
pub mod detect;
pub mod event;
pub mod filter;
pub mod generate;
pub mod incident;
pub mod input;
pub mod kb;
pub mod kinds;
pub mod manual;
pub mod merge;
pub mod outcome;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod report;
pub mod screening;
pub mod threshold;
pub mod time;
pub mod trace;
