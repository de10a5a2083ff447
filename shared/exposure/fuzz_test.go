package exposure

import (
	"strings"
	"testing"
)

// FuzzParsePolicy checks that no policy text crashes the parser or the
// engine, and that what parses behaves: an added unconditional Deny of
// everything to everyone always leaves the policy granting nothing.
func FuzzParsePolicy(f *testing.F) {
	seeds := []string{
		publicRead,
		*policyDoc(allowStar(`"s3:*"`, "")),
		*policyDoc(allowStar(`["s3:Get*","s3:List*"]`, `{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}`)),
		*policyDoc(allowStar(`"s3:GetObject"`, `{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`)),
		*policyDoc(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},` +
			`"NotAction":"s3:GetObject","Resource":"*"}`),
		*policyDoc(delegateToAccessPoints),
		`{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Condition":` +
			`{"StringNotEquals":{"aws:SourceVpce":["vpce-1"]}}}}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:?et*",` +
			`"Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgID":"o-*"}}}]}`,
		`{"Statement":[]}`, `{}`, `null`, `[`, `{"Statement":{"Principal":"x"}}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := ParsePolicy(doc)
		if err != nil {
			return
		}
		b := openBucket()
		b.Policy = &doc
		b.AccessPoints = []AccessPoint{{Name: "ap1", NetworkOrigin: "Internet",
			PublicAccessBlock: &PublicAccessBlock{}, Policy: &doc}}
		v := EvaluateS3(b)
		if v.Verdict == Indeterminate || v.Read == nil || v.Write == nil || v.List == nil {
			t.Fatalf("known policy gave %s with flags %v %v %v", v.Verdict, v.Read, v.Write, v.List)
		}
		if v.Verdict == Public && len(v.Reasons) == 0 {
			t.Fatal("public verdict without a reason")
		}
		p.Statements = append(p.Statements, Statement{Effect: "Deny",
			Principal: &Principal{Star: true}, Action: []string{"*"}})
		for _, ctx := range []requestContext{{account: "111122223333"},
			{viaAccessPoint: true, account: "111122223333", apName: "ap1"}} {
			if g := evaluatePolicy(p, ctx, "policy"); len(g.allowed) != 0 {
				t.Fatalf("deny of everything left %s", strings.Join(g.allowed.sorted(), ","))
			}
		}
	})
}
