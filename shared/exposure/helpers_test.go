package exposure

import (
	"fmt"
	"strings"
	"testing"
)

const (
	publicRead = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::b1/*"}]}`
	allUsers  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

// openBucket is a bucket with every Block Public Access flag off at both
// scopes, a private ACL, ACLs enabled and nothing else: the baseline each
// test changes one thing on.
func openBucket() S3Bucket {
	off := PublicAccessBlock{}
	return S3Bucket{
		Kind: KindS3Bucket, Account: "111122223333", Bucket: "b1",
		AccountPublicAccessBlock: &off, BucketPublicAccessBlock: &off,
		ACL: &ACL{Owner: &Owner{ID: "owner"}, Grants: []Grant{
			{Grantee: Grantee{Type: "CanonicalUser", ID: "owner"}, Permission: "FULL_CONTROL"}}},
		Ownership: ptr("ObjectWriter"),
		Errors:    map[string]string{},
	}
}

// policyDoc builds a one-statement policy from the statement's JSON body.
func policyDoc(statements ...string) *string {
	s := `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
	return &s
}

// allowStar is an Allow to everyone of actions, with an optional Condition
// block body.
func allowStar(actions, condition string) string {
	s := fmt.Sprintf(`{"Effect":"Allow","Principal":"*","Action":%s,"Resource":"*"`, actions)
	if condition != "" {
		s += `,"Condition":` + condition
	}
	return s + "}"
}

func withPublicGrant(b S3Bucket, uri, perm string) S3Bucket {
	b.ACL.Grants = append(b.ACL.Grants, Grant{Grantee: Grantee{Type: "Group", URI: uri},
		Permission: perm})
	return b
}

// want is the part of a verdict a test pins down; nil flags are not
// checked unless the matching null field says they must be null.
type want struct {
	verdict           Outcome
	read, write, list *bool
	latent            bool
	latentAccess      *Access
	nullFlags         []string
	reasonHas         []string
	reasonLacks       []string
}

var (
	T = ptr(true)
	F = ptr(false)
)

func check(t *testing.T, v Verdict, w want) {
	t.Helper()
	if v.Verdict != w.verdict {
		t.Errorf("got verdict %s, want %s; reasons %q", v.Verdict, w.verdict, v.Reasons)
	}
	flags := map[string]*bool{"read": v.Read, "write": v.Write, "list": v.List}
	for name, wf := range map[string]*bool{"read": w.read, "write": w.write, "list": w.list} {
		if wf != nil && (flags[name] == nil || *flags[name] != *wf) {
			t.Errorf("got %s %s, want %t; reasons %q", name, showFlag(flags[name]), *wf, v.Reasons)
		}
	}
	for _, name := range w.nullFlags {
		if flags[name] != nil {
			t.Errorf("got %s %s, want null", name, showFlag(flags[name]))
		}
	}
	if v.Latent != w.latent {
		t.Errorf("got latent %t, want %t; reasons %q", v.Latent, w.latent, v.Reasons)
	}
	if w.latentAccess != nil && (v.LatentAccess == nil || *v.LatentAccess != *w.latentAccess) {
		t.Errorf("got latentAccess %+v, want %+v", v.LatentAccess, *w.latentAccess)
	}
	if !w.latent && v.LatentAccess != nil {
		t.Errorf("got latentAccess %+v, want null", *v.LatentAccess)
	}
	all := strings.Join(v.Reasons, "\n")
	for _, s := range w.reasonHas {
		if !strings.Contains(all, s) {
			t.Errorf("reasons %q lack %q", v.Reasons, s)
		}
	}
	for _, s := range w.reasonLacks {
		if strings.Contains(all, s) {
			t.Errorf("reasons %q contain %q", v.Reasons, s)
		}
	}
}
