"""boto3 side of the interoperability tests: reads and writes objects the way the AWS SDK does.

Credentials and endpoint come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and S3_ENDPOINT.
Commands:
  create-bucket BUCKET [--object-lock]
  put BUCKET KEY FILE          upload_file with 8 MiB multipart threshold and part size
  get BUCKET KEY FILE          download_file
  list-uploads BUCKET          prints the number of incomplete multipart uploads
  retention BUCKET KEY         prints "MODE RETAIN_UNTIL_ISO8601"
  etag BUCKET KEY              prints the ETag without quotes
"""
import datetime
import sys

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
import os

MIB = 1024 * 1024


def client():
    return boto3.client(
        "s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def main(argv):
    s3 = client()
    command, bucket = argv[0], argv[1]
    transfer = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB)
    if command == "create-bucket":
        s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket="--object-lock" in argv)
    elif command == "put":
        s3.upload_file(argv[3], bucket, argv[2], Config=transfer)
    elif command == "get":
        s3.download_file(bucket, argv[2], argv[3], Config=transfer)
    elif command == "list-uploads":
        print(len(s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])))
    elif command == "retention":
        # HeadObject reports the lock; moto 5.2.1 answers GetObjectRetention with a 500.
        r = s3.head_object(Bucket=bucket, Key=argv[2])
        until = r["ObjectLockRetainUntilDate"].astimezone(datetime.timezone.utc)
        print(r["ObjectLockMode"], until.strftime("%Y-%m-%dT%H:%M:%SZ"))
    elif command == "etag":
        print(s3.head_object(Bucket=bucket, Key=argv[2])["ETag"].strip('"'))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
