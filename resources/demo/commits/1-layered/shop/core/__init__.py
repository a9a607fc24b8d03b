"""The domain: products, prices and stock, independent of the layers above."""
