// Command deployment-check is the Lambda function that audits a SageMaker
// endpoint whenever it comes into service or starts a deployment: is what
// serves traffic what was approved?
package main

import (
	"github.com/aimsaudit/aimsaudit/shared/deployment"
	"github.com/aimsaudit/aimsaudit/shared/lambdamain"
)

func main() {
	c, logger := lambdamain.Build(deployment.FromEnv)
	lambdamain.Events(logger, c.Handle)
}
