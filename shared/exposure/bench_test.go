package exposure

import "testing"

// BenchmarkEvaluateS3 sizes the engine's share of a sweep: a bucket with a
// public ACL grant, a four-statement policy and two access points.
func BenchmarkEvaluateS3(b *testing.B) {
	bucket := withPublicGrant(openBucket(), allUsers, "READ")
	bucket.Policy = policyDoc(allowStar(`"s3:*"`, ""), delegateToAccessPoints,
		allowStar(`["s3:Get*","s3:List*"]`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`),
		`{"Effect":"Deny","Principal":"*","Action":"s3:Delete*","Resource":"*"}`)
	for _, name := range []string{"ap1", "ap2"} {
		bucket.AccessPoints = append(bucket.AccessPoints, AccessPoint{Name: name,
			NetworkOrigin: "Internet", PublicAccessBlock: &PublicAccessBlock{},
			Policy: ptr(apPublicRead)})
	}
	b.ReportAllocs()
	for b.Loop() {
		if v := EvaluateS3(bucket); v.Verdict != Public {
			b.Fatalf("got %s, want public", v.Verdict)
		}
	}
}
