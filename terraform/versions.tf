terraform {
  required_version = ">= 1.9" # validations that refer to other variables (payment_routes_authorization, notification_sms_countries)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 7.0"
    }
  }

  # State holds the functions' resolved secrets when Terraform deploys the functions (see README.md,
  # "Secrets"): keep it in an encrypted, access-restricted backend, e.g.
  #
  # backend "s3" {
  #   bucket       = "my-terraform-state"
  #   key          = "payments/terraform.tfstate"
  #   region       = "us-east-1"
  #   encrypt      = true
  #   kms_key_id   = "alias/terraform-state"
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
