// Package exposure judges whether a storage resource (an S3 bucket, an Azure
// blob container) is readable, writable or listable by everyone, from a
// snapshot of the raw settings a sweep collected. It weighs every signal
// together, as the cloud would when serving an anonymous request, instead of
// flagging one setting at a time: a public grant hidden by Block Public Access
// is latent, not public, and an unknown that no known setting masks makes the
// verdict indeterminate rather than a pass.
//
// The engine is pure: the same snapshot always gives the same verdict, so an
// auditor can re-derive it from the stored evidence alone.
package exposure
