"""S3/MinIO adapters. Kept import-light (no boto3 here): the embedded default must not pay for, or need, boto3."""
