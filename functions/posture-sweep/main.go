// Command posture-sweep is the Lambda function of the nightly posture sweep.
// EventBridge Scheduler starts it with {"task": "posture-sweep"}; it plans
// the sweep and sends the batches to its queue, and the same function,
// triggered by that queue, judges one batch per message.
//
// What the deployment gives it: the configuration of CONTRACTS.md, plus
// AIMS_SWEEP_QUEUE, the URL of the batch queue (without it every batch is
// judged in the scheduled invocation, which only suits small estates); an
// SQS event source on that queue with ReportBatchItemFailures and a small
// batch size, so that only failed batches return; a visibility timeout of
// the queue above the function's timeout; a dead-letter queue after a few
// receives. Its role reads buckets (s3:ListAllMyBuckets, s3:GetBucket*,
// s3:GetAccountPublicAccessBlock, s3:ListAccessPoints, s3:GetAccessPoint*),
// SageMaker endpoints and what they serve, writes evidence, the state table
// and the bus, sends to and receives from the queue, and may assume each
// target's roleName.
package main

import (
	"github.com/aimsaudit/aimsaudit/shared/lambdamain"
	"github.com/aimsaudit/aimsaudit/shared/sweep"
)

func main() {
	s, logger := lambdamain.Build(sweep.FromEnv)
	lambdamain.Events(logger, s.Handle)
}
