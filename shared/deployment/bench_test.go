package deployment

import (
	"context"
	"testing"
)

// BenchmarkAuditOnTheEmulator measures one audit of an endpoint serving an
// approved, covered, documented package: the reads along the chain, the
// evidence objects and manifest, and the alert state, all on the emulator.
func BenchmarkAuditOnTheEmulator(b *testing.B) {
	d := newDemo(b)
	d.serve(serving{endpoint: "credit-risk-prod", container: packageContainer(d.v1),
		capture: true, kms: true})
	c := d.check(false)
	event := endpointEvent(b, "credit-risk-prod")
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.Handle(ctx, event); err != nil {
			b.Fatal(err)
		}
	}
}
