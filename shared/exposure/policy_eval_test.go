package exposure

import "testing"

func TestPrincipals(t *testing.T) {
	tests := []struct {
		name      string
		statement string
		verdict   Outcome
	}{
		{"star", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`, Public},
		{"AWS star", `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject",` +
			`"Resource":"*"}`, Public},
		{"AWS star in a list", `{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},` +
			`"Action":"s3:GetObject","Resource":"*"}`, Public},
		{"wildcard account", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},` +
			`"Action":"s3:GetObject","Resource":"*"}`, Public},
		{"fixed account", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},` +
			`"Action":"s3:GetObject","Resource":"*"}`, NotPublic},
		{"service", `{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},` +
			`"Action":"s3:PutObject","Resource":"*"}`, NotPublic},
		{"NotPrincipal allow", `{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:role/r"},` +
			`"Action":"s3:GetObject","Resource":"*"}`, Public},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openBucket()
			b.Policy = policyDoc(tt.statement)
			check(t, EvaluateS3(b), want{verdict: tt.verdict})
		})
	}
}

// Deny statements to everyone subtract what they certainly deny; a Deny that
// only sometimes applies, or names one principal, leaves the grant.
func TestDenySubtracts(t *testing.T) {
	allowAll := allowStar(`"s3:*"`, "")
	denyWrite := `{"Effect":"Deny","Principal":"*","Action":["s3:Put*","s3:Delete*",` +
		`"s3:AbortMultipartUpload","s3:RestoreObject"],"Resource":"*"}`
	tests := []struct {
		name              string
		deny              string
		verdict           Outcome
		read, write, list bool
	}{
		{"unconditional deny of writes", denyWrite, Public, true, false, true},
		{"deny of one write action leaves the others", `{"Effect":"Deny","Principal":"*",` +
			`"Action":"s3:PutObject","Resource":"*"}`, Public, true, true, true},
		{"deny outside one VPC endpoint", `{"Effect":"Deny","Principal":"*","Action":"s3:*",` +
			`"Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}`,
			NotPublic, false, false, false},
		{"deny outside a narrow range", `{"Effect":"Deny","Principal":"*","Action":"*",` +
			`"Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`,
			NotPublic, false, false, false},
		{"deny outside a broad range", `{"Effect":"Deny","Principal":"*","Action":"*",` +
			`"Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}`,
			Public, true, true, true},
		{"deny over plain HTTP only", `{"Effect":"Deny","Principal":"*","Action":"s3:*",` +
			`"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
			Public, true, true, true},
		{"deny to one principal", `{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::1:root"},` +
			`"Action":"s3:*","Resource":"*"}`, Public, true, true, true},
		{"deny with NotPrincipal reaches anonymous", `{"Effect":"Deny","NotPrincipal":` +
			`{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*","Resource":"*"}`,
			NotPublic, false, false, false},
		{"deny with NotAction", `{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject",` +
			`"Resource":"*"}`, Public, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openBucket()
			b.Policy = policyDoc(allowAll, tt.deny)
			check(t, EvaluateS3(b), want{verdict: tt.verdict, read: ptr(tt.read),
				write: ptr(tt.write), list: ptr(tt.list)})
		})
	}
}

func TestActionWildcards(t *testing.T) {
	tests := []struct {
		name              string
		actions           string
		not               bool
		read, write, list bool
	}{
		{"s3:*", `"s3:*"`, false, true, true, true},
		{"*", `"*"`, false, true, true, true},
		{"s3:Get*", `"s3:Get*"`, false, true, false, false},
		{"s3:List*", `"s3:List*"`, false, false, false, true},
		{"s3:*Object", `"s3:*Object"`, false, true, true, false},
		{"case", `"S3:getobject"`, false, true, false, false},
		{"question mark", `"s3:GetObjec?"`, false, true, false, false},
		{"multipart parts", `"s3:ListMultipartUploadParts"`, false, false, false, true},
		{"abort", `"s3:AbortMultipartUpload"`, false, false, true, false},
		{"restore", `"s3:RestoreObject"`, false, false, true, false},
		{"delete", `"s3:DeleteObjectVersion"`, false, false, true, false},
		{"change access", `"s3:PutBucketPolicy"`, false, false, true, false},
		{"GetObjectVersion", `"s3:GetObjectVersion"`, false, true, false, false},
		{"read the ACL only", `"s3:GetBucketAcl"`, false, false, false, false},
		{"future action", `"s3:GetSomethingNew"`, false, false, false, false},
		{"NotAction GetObject keeps GetObjectVersion", `"s3:GetObject"`, true, true, true, true},
		{"NotAction GetObject*", `"s3:GetObject*"`, true, false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field := "Action"
			if tt.not {
				field = "NotAction"
			}
			b := openBucket()
			b.Policy = policyDoc(`{"Effect":"Allow","Principal":"*","` + field + `":` +
				tt.actions + `,"Resource":"*"}`)
			check(t, EvaluateS3(b), want{verdict: Public, read: ptr(tt.read),
				write: ptr(tt.write), list: ptr(tt.list)})
		})
	}
}

func TestNonS3ActionsGrantNothing(t *testing.T) {
	b := openBucket()
	b.Policy = policyDoc(allowStar(`["kms:Decrypt","iam:*"]`, ""))
	check(t, EvaluateS3(b), want{verdict: NotPublic})
}

// A Deny wildcard covers actions outside the catalogue too, so a grant of an
// action the engine does not know is still taken away by "s3:*".
func TestDenyWildcardCoversUnknownActions(t *testing.T) {
	b := openBucket()
	b.Policy = policyDoc(allowStar(`"s3:GetSomethingNew"`, ""),
		`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}`)
	check(t, EvaluateS3(b), want{verdict: NotPublic})
}
