// Command echo is a Lambda function for testing the runtime harness: it
// answers with the payload it got, the value of ECHO_VALUE and its process
// id, and fails when the payload asks it to.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

type reply struct {
	Payload json.RawMessage `json:"payload"`
	Env     string          `json:"env"`
	PID     int             `json:"pid"`
}

func handle(_ context.Context, payload json.RawMessage) (reply, error) {
	var ask struct {
		Fail string `json:"fail"`
	}
	_ = json.Unmarshal(payload, &ask)
	if ask.Fail != "" {
		return reply{}, errors.New(ask.Fail)
	}
	return reply{Payload: payload, Env: os.Getenv("ECHO_VALUE"), PID: os.Getpid()}, nil
}

func main() { lambda.Start(handle) }
