package exposure

import (
	"fmt"
	"strings"
)

// Grantee groups that S3 counts as public in an ACL.
const (
	allUsersURI      = "http://acs.amazonaws.com/groups/global/AllUsers"
	authenticatedURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

// everything is what an unreadable policy could grant.
var everything = access{read: true, write: true, list: true, any: true}

// s3Eval holds one bucket's evaluation as it proceeds through the ways an
// anonymous request can reach the bucket.
type s3Eval struct {
	b       S3Bucket
	t       tally
	account scope
	bucket  scope
	// policy is the parsed bucket policy; policyKnown is false when it
	// could not be read or parsed.
	policy       *Policy
	policyKnown  bool
	policyPublic bool
}

// EvaluateS3 judges a bucket as S3 would serve an anonymous or any-account
// request: through its ACL, its bucket policy and each access point, each
// masked by the Block Public Access flags that apply to it.
func EvaluateS3(b S3Bucket) Verdict {
	e := &s3Eval{
		b:       b,
		account: scope{"account", b.AccountPublicAccessBlock, b.Errors["accountPublicAccessBlock"]},
		bucket:  scope{"bucket", b.BucketPublicAccessBlock, b.Errors["bucketPublicAccessBlock"]},
	}
	e.t.reasons = errorNotes(b.Errors, e.listedAccessPoints())
	e.judgeACL()
	e.judgeBucketPolicy()
	e.judgeAccessPoints()
	e.noteObjectACLs()
	e.noteWebsite()
	e.notePolicyStatus()
	return e.t.verdict("s3://"+b.Bucket, KindS3Bucket,
		"no bucket ACL grant, bucket policy statement or access point gives everyone access")
}

func (e *s3Eval) listedAccessPoints() map[string]bool {
	out := map[string]bool{}
	for _, ap := range e.b.AccessPoints {
		out[ap.Name] = true
	}
	return out
}

// ownerEnforced masks ACLs: with BucketOwnerEnforced S3 ignores them all.
func (e *s3Eval) ownerEnforced() mask {
	if err := e.b.Errors["ownership"]; err != "" {
		return or(mask{unsure: []string{"BucketOwnerEnforced (ownership: " + err + ")"}})
	}
	if e.b.Ownership != nil && *e.b.Ownership == "BucketOwnerEnforced" {
		return or(mask{by: []string{"BucketOwnerEnforced (object ownership)"}})
	}
	return mask{}
}

func (e *s3Eval) aclMask() mask {
	return or(bpa("IgnorePublicAcls", ignoreAcls, e.account, e.bucket), e.ownerEnforced())
}

func (e *s3Eval) judgeACL() {
	m := e.aclMask()
	if err := e.b.Errors["acl"]; err != "" {
		// A bucket ACL can give list and write, never object reads.
		possible := access{write: true, list: true, any: true}
		e.t.unknownGrant(possible, m, "the bucket ACL is unknown ("+err+")", needs("acl"))
		return
	}
	g, words := aclGrant(e.b.ACL)
	e.t.grant(g, m, "bucket ACL grants "+words)
	if g.any && m.state == no {
		e.noteStopsOnlyNew(bpa("BlockPublicAcls", blockAcls, e.account, e.bucket), "ACLs")
	}
}

// aclGrant reads what an ACL gives the AllUsers and AuthenticatedUsers
// groups (any AWS account counts as everyone).
func aclGrant(acl *ACL) (access, string) {
	var a access
	var words []string
	if acl == nil {
		return a, ""
	}
	for _, g := range acl.Grants {
		group := publicGroup(g.Grantee)
		if group == "" {
			continue
		}
		a.add(permissionAccess(g.Permission))
		words = append(words, fmt.Sprintf("%s to %s", g.Permission, group))
	}
	return a, strings.Join(words, ", ")
}

func publicGroup(g Grantee) string {
	switch strings.TrimSuffix(strings.ToLower(g.URI), "/") {
	case strings.ToLower(allUsersURI):
		return "AllUsers"
	case strings.ToLower(authenticatedURI):
		return "AuthenticatedUsers"
	}
	return ""
}

// permissionAccess maps a bucket ACL permission to what it gives: READ lists
// the bucket, WRITE and WRITE_ACP change it, READ_ACP reads only the ACL.
func permissionAccess(p string) access {
	switch strings.ToUpper(p) {
	case "READ":
		return access{list: true, any: true}
	case "WRITE", "WRITE_ACP":
		return access{write: true, any: true}
	case "FULL_CONTROL":
		return access{list: true, write: true, any: true}
	}
	return access{any: true}
}

// noteStopsOnlyNew explains a Block flag that is on but does not help: it
// refuses new public grants and leaves stored ones in force.
func (e *s3Eval) noteStopsOnlyNew(m mask, what string) {
	if m.state == yes {
		e.t.note("%s stops only new public %s; the stored grant above still applies",
			m.describeBy(), what)
	}
}

func (e *s3Eval) judgeBucketPolicy() {
	m := bpa("RestrictPublicBuckets", restrictPub, e.account, e.bucket)
	if err := e.b.Errors["policy"]; err != "" {
		e.t.unknownGrant(everything, m, "the bucket policy is unknown ("+err+")", needs("policy"))
		return
	}
	if e.b.Policy == nil {
		e.policyKnown = true
		return
	}
	p, err := ParsePolicy(*e.b.Policy)
	if err != nil {
		e.t.unknownGrant(everything, m, fmt.Sprintf("the bucket policy does not parse (%v)", err),
			"re-collect the policy")
		return
	}
	e.policy, e.policyKnown = &p, true
	g := evaluatePolicy(p, requestContext{account: e.b.Account}, "policy")
	e.t.reasons = append(e.t.reasons, g.notes...)
	a := accessOf(g.allowed)
	e.policyPublic = a.any
	e.t.grant(a, m, "bucket policy")
	if a.any && m.state == no {
		e.noteStopsOnlyNew(bpa("BlockPublicPolicy", blockPolicy, e.account, e.bucket), "policies")
	}
}

// bucketAllowsViaAccessPoint is what the bucket policy lets everyone do
// through an access point (a delegation to the account's access points
// counts there); known is false when the bucket policy is unknown.
func (e *s3Eval) bucketAllowsViaAccessPoint(ctx requestContext) (actionSet, bool) {
	if !e.policyKnown {
		return nil, false
	}
	if e.policy == nil {
		return actionSet{}, true
	}
	return evaluatePolicy(*e.policy, ctx, "policy").allowed, true
}
