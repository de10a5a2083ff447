package azureml

import (
	"context"
	"testing"
)

// BenchmarkAuditEndpoint measures one audit of an endpoint with three
// deployments on the fake ARM: the reads, a card on a blob and one in S3,
// the evidence objects and manifest on the emulator, and the alert state.
func BenchmarkAuditEndpoint(b *testing.B) {
	e := demo(b)
	c := e.check(false)
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.AuditEndpoint(ctx, ws, "credit-risk-online"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGateModelVersion measures one gate run: the version, the
// evaluation data from a blob through the fairness engine, the tag write
// (unchanged after the first run), evidence and alerts.
func BenchmarkGateModelVersion(b *testing.B) {
	e := gateDemo(b)
	c := e.check(false)
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.GateModelVersion(ctx, ws, "credit-risk", "4"); err != nil {
			b.Fatal(err)
		}
	}
}
