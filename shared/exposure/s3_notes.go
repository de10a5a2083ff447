package exposure

// noteObjectACLs says that objects can still be public on their own while
// ACLs are live; object ACLs are not collected, so the verdict stays.
func (e *s3Eval) noteObjectACLs() {
	ign := bpa("IgnorePublicAcls", ignoreAcls, e.account, e.bucket)
	if ign.state != no || e.ownerEnforced().state != no {
		return
	}
	own := "not set"
	if e.b.Ownership != nil {
		own = *e.b.Ownership
	}
	e.t.note("ACLs are live (object ownership %s, IgnorePublicAcls off): objects can still be "+
		"made public by their own ACLs, which this sweep does not read; set object ownership "+
		"to BucketOwnerEnforced or turn on IgnorePublicAcls", own)
}

// noteWebsite adds the website endpoint: hosting never makes a bucket
// public by itself, but whatever everyone may read is served there too.
func (e *s3Eval) noteWebsite() {
	if e.b.Errors["website"] != "" || !e.b.Website {
		return
	}
	e.t.note("website hosting is on: whatever everyone may read is also served at "+
		"http://%s.s3-website-<region>.amazonaws.com; hosting alone grants nothing", e.b.Bucket)
}

// notePolicyStatus compares this verdict on the policy with S3's own
// PolicyStatus, so a disagreement is seen and looked into.
func (e *s3Eval) notePolicyStatus() {
	ps := e.b.PolicyStatus
	if ps == nil || e.b.Errors["policyStatus"] != "" {
		return
	}
	if !e.policyKnown {
		e.t.note("S3's GetBucketPolicyStatus reports IsPublic=%t for the policy this sweep "+
			"could not read", *ps)
		return
	}
	if *ps != e.policyPublic {
		e.t.note("S3's GetBucketPolicyStatus reports IsPublic=%t, but this analysis finds the "+
			"bucket policy %s; review the policy's principals and conditions", *ps,
			map[bool]string{true: "public", false: "not public"}[e.policyPublic])
	}
}
