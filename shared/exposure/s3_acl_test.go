package exposure

import "testing"

func TestACLGrantsToPublicGroups(t *testing.T) {
	tests := []struct {
		uri, perm         string
		read, write, list bool
	}{
		{allUsers, "READ", false, false, true},
		{allUsers, "WRITE", false, true, false},
		{allUsers, "WRITE_ACP", false, true, false},
		{allUsers, "READ_ACP", false, false, false},
		{allUsers, "FULL_CONTROL", false, true, true},
		{authUsers, "READ", false, false, true},
		{authUsers, "FULL_CONTROL", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.perm+" to "+tt.uri, func(t *testing.T) {
			v := EvaluateS3(withPublicGrant(openBucket(), tt.uri, tt.perm))
			check(t, v, want{verdict: Public, read: ptr(tt.read), write: ptr(tt.write),
				list: ptr(tt.list)})
		})
	}
}

func TestACLToOtherGranteesIsNotPublic(t *testing.T) {
	b := withPublicGrant(openBucket(), "http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE")
	b.ACL.Grants = append(b.ACL.Grants, Grant{Grantee: Grantee{Type: "CanonicalUser",
		ID: "other-account"}, Permission: "READ"})
	check(t, EvaluateS3(b), want{verdict: NotPublic, latent: false})
}

// IgnorePublicAcls and BucketOwnerEnforced each mask an ACL grant; with both
// on, the grant is still latent ("however many such settings there are").
func TestACLMasks(t *testing.T) {
	tests := []struct {
		name      string
		ignore    bool
		ownership string
	}{
		{"IgnorePublicAcls", true, "ObjectWriter"},
		{"BucketOwnerEnforced", false, "BucketOwnerEnforced"},
		{"both", true, "BucketOwnerEnforced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := withPublicGrant(openBucket(), allUsers, "FULL_CONTROL")
			b.BucketPublicAccessBlock = &PublicAccessBlock{IgnorePublicAcls: tt.ignore}
			b.Ownership = ptr(tt.ownership)
			check(t, EvaluateS3(b), want{verdict: NotPublic, write: F, list: F, latent: true,
				latentAccess: &Access{Write: true, List: true}})
		})
	}
}

// The object ACL reason appears exactly when ACLs are live, and never moves
// the verdict.
func TestObjectACLReasonWhenACLsLive(t *testing.T) {
	const reason = "objects can still be made public by their own ACLs"
	live := openBucket()
	check(t, EvaluateS3(live), want{verdict: NotPublic, reasonHas: []string{reason}})

	unset := openBucket()
	unset.Ownership = nil
	check(t, EvaluateS3(unset), want{verdict: NotPublic, reasonHas: []string{reason}})

	enforced := openBucket()
	enforced.Ownership = ptr("BucketOwnerEnforced")
	check(t, EvaluateS3(enforced), want{verdict: NotPublic, reasonLacks: []string{reason}})

	ignored := openBucket()
	ignored.AccountPublicAccessBlock = &PublicAccessBlock{IgnorePublicAcls: true}
	check(t, EvaluateS3(ignored), want{verdict: NotPublic, reasonLacks: []string{reason}})
}
