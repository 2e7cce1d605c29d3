//! Renderers: each file writes one kind of output to a given `Write`, never to standard output
//! directly. Nothing here reads logs or looks anything up on its own behalf beyond the
//! knowledge base calls it is handed the codes for.

pub mod events;
pub mod explain;
pub mod html;
pub mod prometheus;
pub mod report_labels;
pub mod safe;
pub mod summary;
pub mod text;
pub mod trace;
