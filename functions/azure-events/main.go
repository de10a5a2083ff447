// Command azure-events is the Lambda function behind the function URL that
// an Azure Event Grid subscription on Azure ML workspaces delivers to. It
// answers the validation handshake, refuses deliveries without the shared
// secret, audits the endpoint a ModelDeployed event names and gates the
// model version a ModelRegistered event names.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/aimsaudit/aimsaudit/shared/azureml"
	"github.com/aimsaudit/aimsaudit/shared/lambdamain"
)

func main() {
	w, _ := lambdamain.Build(azureml.FromEnv)
	lambda.Start(w.Serve)
}
