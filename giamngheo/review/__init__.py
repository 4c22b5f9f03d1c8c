"""The commune's annual and monthly review, from the household list to the certificate."""
