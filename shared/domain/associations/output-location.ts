/**
 * The S3 output location of an association must name a bucket S3 would accept (the bucket
 * naming rules) in a region that looks like one; the bucket's existence is not checked.
 */
import type { InstanceAssociationOutputLocation } from "@aws-sdk/client-ssm";
import { InvalidOutputLocation } from "../../errors.ts";

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function validateOutputLocation(location: InstanceAssociationOutputLocation | undefined): void {
  const s3 = location?.S3Location;
  if (!location) return;
  if (!s3?.OutputS3BucketName) throw new InvalidOutputLocation("The output location must name an S3 bucket.");
  const bucket = s3.OutputS3BucketName;
  const valid =
    BUCKET.test(bucket) &&
    !bucket.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(bucket) &&
    !bucket.startsWith("xn--") &&
    !bucket.endsWith("-s3alias");
  if (!valid) throw new InvalidOutputLocation(`The S3 bucket name ${bucket} isn't valid.`);
  if (s3.OutputS3Region && !REGION.test(s3.OutputS3Region)) {
    throw new InvalidOutputLocation(`The S3 region ${s3.OutputS3Region} isn't valid.`);
  }
}
