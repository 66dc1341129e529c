"""S3/MinIO adapters. Kept import-light (no boto3 here): `s3.errors` is shared with the filesystem store,
and the embedded default must not pay for, or need, boto3."""
