// Package sweep is the nightly posture sweep: it plans the night's work
// (every bucket of each target account, every storage resource the register
// names, every blob container of each Azure subscription, every SageMaker
// endpoint of the target regions, re-checked by the deployment check, every
// Azure ML online endpoint of the register's workspaces, re-checked by the
// Azure ML deployment check, and every impact assessment's review date),
// cuts it into batches, and judges each batch on its own: collect the
// snapshots, keep them as evidence under one manifest, turn the verdicts
// into findings and alert on what changed.
// Batches travel through an SQS queue in the cloud, so that no single
// invocation has to fit the whole estate into Lambda's time limit, and a
// batch that fails goes back to the queue without taking the others'
// findings with it. Run locally, or without a queue, the same batches are
// judged in-process.
package sweep

// FunctionName names the sweep in evidence keys and manifests.
const FunctionName = "posture-sweep"

// Task is the value of the "task" field of the Scheduler input.
const Task = "posture-sweep"
