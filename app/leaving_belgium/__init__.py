"""« Vous quittez la Belgique ? » (guide 002): the Belgian social-security rights a person keeps abroad,
from their nationality, destination, status and topic; no identification."""
