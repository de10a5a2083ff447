package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
)

// exitNotIntact is verify's status when the evidence is not intact.
const exitNotIntact = 3

func newVerifyCmd() *cobra.Command {
	var bucket, function, account, format string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check that the evidence in a bucket is complete and unchanged",
		Long: "Walks every manifest chain in the evidence bucket, checks each link\n" +
			"(seq and previousSha256), re-hashes every listed object and looks for\n" +
			"objects no manifest lists. Prints each problem; exits 0 when all is\n" +
			"intact and 3 when anything is not. AWS settings come from the\n" +
			"environment (AWS_ENDPOINT_URL for an emulator).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVerify(cmd.Context(), cmd.OutOrStdout(), bucket, function, account, format)
		},
	}
	cmd.Flags().StringVar(&bucket, "bucket", "", "evidence bucket")
	cmd.Flags().StringVar(&function, "function", "", "only this function's chains")
	cmd.Flags().StringVar(&account, "account", "",
		"only this account's (or Azure subscription's) chains")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func runVerify(ctx context.Context, out io.Writer, bucket, function, account,
	format string) error {
	if bucket == "" {
		return badinput.Errorf("", 0, "--bucket", "required")
	}
	if format != "text" && format != "json" {
		return badinput.Errorf("", 0, "--format", "%q is neither text nor json", format)
	}
	cfg, err := awsenv.Load(ctx)
	if err != nil {
		return err
	}
	report, err := evidence.Verify(ctx, awsenv.S3(cfg), bucket, function, account)
	if err != nil {
		return fmt.Errorf("verify s3://%s: %w", bucket, err)
	}
	if err := writeVerify(out, report, format); err != nil {
		return err
	}
	if !report.Intact() {
		return &exitError{code: exitNotIntact, err: fmt.Errorf(
			"evidence in s3://%s is not intact: %d problems", bucket, len(report.Problems))}
	}
	return nil
}

func writeVerify(out io.Writer, r *evidence.VerifyReport, format string) error {
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	for _, p := range r.Problems {
		fmt.Fprintln(out, p)
	}
	for _, c := range r.Chains {
		fmt.Fprintf(out, "chain %s/%s: %d manifests, head seq %d, %d objects\n",
			c.Function, c.Account, c.Manifests, c.Head, c.Objects)
	}
	verdict := "intact"
	if !r.Intact() {
		verdict = fmt.Sprintf("%d problems", len(r.Problems))
	}
	_, err := fmt.Fprintf(out, "s3://%s: %d chains, %d objects re-hashed: %s\n",
		r.Bucket, len(r.Chains), r.Objects, verdict)
	return err
}
