//! The consolidated report as files: an XLSX workbook ([`xlsx`]) and a DOCX draft in the
//! Decree 30/2020/NĐ-CP layout ([`docx`]).

pub mod docx;
pub mod xlsx;
