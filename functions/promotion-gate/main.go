// Command promotion-gate is the Lambda function that judges a model package
// whenever the SageMaker model registry reports a change of its state.
package main

import (
	"github.com/aimsaudit/aimsaudit/shared/gate"
	"github.com/aimsaudit/aimsaudit/shared/lambdamain"
)

func main() {
	g, logger := lambdamain.Build(gate.FromEnv)
	lambdamain.Events(logger, g.Handle)
}
