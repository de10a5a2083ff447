// Package drift measures data drift between a reference and a current sample
// of the same columns, with the tests and thresholds of Evidently 0.7 and the
// p-values of scipy, so that a drift verdict produced here can be checked
// against the libraries model-risk teams already trust.
//
// The engine works on in-memory samples: numerical values as float64 and
// categorical values as counts per category. Missing and infinite values are
// dropped before any test. Compare judges one column; Summarize turns the
// column results into the dataset verdict of CONTRACTS.md.
package drift
