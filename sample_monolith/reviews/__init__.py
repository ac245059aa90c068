"""Reviews: product ratings written by customers who bought the product."""
