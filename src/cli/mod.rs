//! The binary's work below `main` and `run`: the command line, the run's configuration,
//! the report, and one module per run mode.

pub(crate) mod args;
pub(crate) mod config;
pub(crate) mod inputs;
pub(crate) mod man;
pub(crate) mod report_out;
pub(crate) mod run_batch;
pub(crate) mod run_check;
pub(crate) mod run_learn;
pub(crate) mod run_stdout;
pub(crate) mod summary;
