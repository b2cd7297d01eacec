"""Recomputes a pre-signed S3 GET URL with botocore and prints its X-Amz-Signature.

moto cannot serve pre-signed URLs while it checks signatures, so the tests check ours against the
AWS SDK's signer instead: same key, same timestamp (taken from the URL), same expiry.
Usage: presign_check.py URL ACCESS_KEY SECRET_KEY REGION
"""
import datetime
import sys
from urllib.parse import parse_qs, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

url, access_key, secret_key, region = sys.argv[1:5]
parts = urlsplit(url)
query = parse_qs(parts.query)
timestamp = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
botocore.auth.get_current_datetime = lambda *args, **kwargs: timestamp
signer = botocore.auth.S3SigV4QueryAuth(Credentials(access_key, secret_key), "s3", region, expires=int(query["X-Amz-Expires"][0]))
request = AWSRequest(method="GET", url=f"{parts.scheme}://{parts.netloc}{parts.path}")
signer.add_auth(request)
print(parse_qs(urlsplit(request.url).query)["X-Amz-Signature"][0])
