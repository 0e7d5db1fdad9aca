"""Runs the SAM transform of template.yaml offline, with the installed aws-sam-translator.

Local CodeUris become placeholder S3 URIs (what `sam build` + `sam package` would upload), and
managed policies resolve from a fixed map: nothing reaches AWS. Prints the transformed
CloudFormation template as JSON, for cfn-lint to check in its turn.

usage: python3 infra/deploy/sam-transform.py template.yaml > transformed.json
"""
import json
import sys

import boto3
from cfnlint.decode import decode_str
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator


def main(path):
    with open(path, encoding="utf-8") as handle:
        template, matches = decode_str(handle.read())
    if matches:
        raise SystemExit(f"template does not parse: {matches}")
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://placeholder-bucket/placeholder.zip"
    # A region for the translator's pseudo parameters only; no call is made.
    session = boto3.session.Session(region_name="us-east-1")
    translator = Translator(None, Parser(), boto_session=session)
    transformed = translator.translate(
        json.loads(json.dumps(template, default=str)),
        parameter_values={},
        feature_toggle=None,
    )
    json.dump(transformed, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
